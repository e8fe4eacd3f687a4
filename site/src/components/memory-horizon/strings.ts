// Strings of the memory-horizon widget in both languages (typed: neither may miss a key).
import { ERROR_STRINGS, type WidgetErrorStrings } from '../../lib/widget-strings.ts';
export interface MemoryHorizonStrings extends WidgetErrorStrings {
  [key: string]: string;
  caption: string;
  hiddenSize: string;
  steps: string;
  lr: string;
  seed: string;
  train: string;
  progressLabel: string;
  progressText: string;
  training: string;
  pending: string;
  done: string;
  liveTitle: string;
  xLabel: string;
  yLabel: string;
  liveX: string;
  liveY: string;
  baselineLabel: string;
  ariaLabel: string;
  ariaLive: string;
  tableCaption: string;
  colLength: string;
  colBaseline: string;
  colRatio: string;
  summary: string;
  summaryCell: string;
  notRun: string;
}

export const STRINGS: Record<'zh-CN' | 'en', MemoryHorizonStrings> = {
  'zh-CN': {
    ...ERROR_STRINGS['zh-CN'],
    caption:
      '加法问题上训练后的测试误差（均方误差，对数坐标）与序列长度 T 的关系；每个点是一次独立的训练（Adam，每步一条序列），RNN 与 LSTM 用同一随机种子。虚线是平凡解（始终回答 1）的误差，落到虚线上就等于什么也没学会。',
    hiddenSize: '隐藏维度 H',
    steps: '训练步数',
    lr: '学习率 lr',
    seed: '随机种子',
    train: '开始训练',
    progressLabel: '训练进度',
    progressText: '{k} / {n} 步',
    training: '正在训练 {cell}，T = {T}（第 {run} / {runs} 次）…',
    pending: '参数已更改：按“开始训练”用新参数训练（图中仍是之前的结果）。',
    done: '训练完成。',
    liveTitle: '当前这次训练：{cell}，T = {T}',
    xLabel: '序列长度 T',
    yLabel: '测试均方误差',
    liveX: '训练步',
    liveY: '小批量均方误差',
    baselineLabel: '平凡解',
    ariaLabel: 'RNN 与 LSTM 在加法问题上的测试误差随序列长度的变化',
    ariaLive: '当前训练的损失曲线',
    tableCaption: '各序列长度下训练后的测试均方误差',
    colLength: 'T',
    colBaseline: '平凡解',
    colRatio: '{cell} / 平凡解',
    summary: '平凡解的误差约为 {baseline}。',
    summaryCell: '{cell}：{values}',
    notRun: '未训练',
  },
  en: {
    ...ERROR_STRINGS.en,
    caption:
      'Test error (mean squared error, log scale) on the adding problem after training, against the sequence length T; each point is a separate training run (Adam, one sequence per step), RNN and LSTM from the same seed. The dashed line is the trivial baseline (always answer 1): a point on it has learned nothing.',
    hiddenSize: 'Hidden size H',
    steps: 'Training steps',
    lr: 'Learning rate lr',
    seed: 'Seed',
    train: 'Train',
    progressLabel: 'Training progress',
    progressText: '{k} / {n} steps',
    training: 'Training {cell}, T = {T} (run {run} of {runs})…',
    pending: 'Settings changed: press Train to train with them (the figure still shows the previous result).',
    done: 'Training finished.',
    liveTitle: 'Current run: {cell}, T = {T}',
    xLabel: 'sequence length T',
    yLabel: 'test MSE',
    liveX: 'training step',
    liveY: 'minibatch MSE',
    baselineLabel: 'baseline',
    ariaLabel: 'Test error of the RNN and the LSTM on the adding problem against the sequence length',
    ariaLive: 'Loss curve of the current training run',
    tableCaption: 'Test mean squared error after training, per sequence length',
    colLength: 'T',
    colBaseline: 'baseline',
    colRatio: '{cell} / baseline',
    summary: 'The trivial baseline’s error is about {baseline}.',
    summaryCell: '{cell}: {values}',
    notRun: 'not trained',
  },
};
