// Strings of the clipping widget in both languages (typed: neither may miss a key).
import { ERROR_STRINGS, type WidgetErrorStrings } from '../../lib/widget-strings.ts';
export interface ClippingStrings extends WidgetErrorStrings {
  [key: string]: string;
  caption: string;
  cell: string;
  nonlinearity: string;
  gain: string;
  clip: string;
  lr: string;
  seed: string;
  runFree: string;
  runClipped: string;
  xLabel: string;
  gradLabel: string;
  lossLabel: string;
  thresholdLabel: string;
  baselineLabel: string;
  ariaGrad: string;
  ariaLoss: string;
  tableCaption: string;
  colStep: string;
  colGradFree: string;
  colGradClipped: string;
  colClipped: string;
  colLossFree: string;
  colLossClipped: string;
  yes: string;
  no: string;
  summary: string;
  ratio: string;
  diverged: string;
  clippedCount: string;
}

export const STRINGS: Record<'zh-CN' | 'en', ClippingStrings> = {
  'zh-CN': {
    ...ERROR_STRINGS['zh-CN'],
    caption:
      '同一随机种子、同样的初始权重和数据，在加法问题上用 SGD 训练两次（T = 10，H = 8，每批 8 条序列，90 步）：一次不裁剪，一次按全局范数裁剪到 τ。上图是每一步裁剪之前的梯度范数 ‖g‖（对数坐标，圆点标出被裁剪的步，虚线为 τ），下图是每一步小批量的均方误差（对数坐标，点线为平凡解的误差）。',
    cell: '单元',
    nonlinearity: 'RNN 激活函数',
    gain: 'W_hh 增益',
    clip: '裁剪阈值 τ',
    lr: '学习率 lr',
    seed: '随机种子',
    runFree: '不裁剪',
    runClipped: '裁剪 τ = {tau}',
    xLabel: '训练步',
    gradLabel: '‖g‖（裁剪前）',
    lossLabel: '小批量均方误差',
    thresholdLabel: 'τ = {tau}',
    baselineLabel: '平凡解',
    ariaGrad: '每个训练步的梯度范数，不裁剪与裁剪两次训练',
    ariaLoss: '每个训练步的损失，不裁剪与裁剪两次训练',
    tableCaption: '每个训练步的梯度范数 ‖g‖（裁剪前）与小批量均方误差',
    colStep: '步',
    colGradFree: '‖g‖ 不裁剪',
    colGradClipped: '‖g‖ 裁剪',
    colClipped: '被裁剪',
    colLossFree: '误差 不裁剪',
    colLossClipped: '误差 裁剪',
    yes: '是',
    no: '否',
    summary:
      '训练 {steps} 步后的测试误差（均方误差）：不裁剪 {free}，裁剪（τ = {tau}）{clipped}；平凡解（始终回答 1）为 {baseline}。',
    ratio: '（平凡解的 {ratio} 倍）',
    diverged: '已发散（出现非有限值）',
    clippedCount: '裁剪的那次训练中有 {count} / {steps} 步被裁剪；不裁剪时 ‖g‖ 最大为 {maxFree}。',
  },
  en: {
    ...ERROR_STRINGS.en,
    caption:
      'Two SGD training runs on the adding problem from the same seed, so the same initial weights and data (T = 10, H = 8, batches of 8 sequences, 90 steps): one without clipping, one with global-norm clipping at τ. Top: the gradient norm ‖g‖ of each step before clipping (log scale; dots mark clipped steps, the dashed line is τ). Bottom: the minibatch mean squared error of each step (log scale; the dotted line is the trivial baseline).',
    cell: 'Cell',
    nonlinearity: 'RNN activation',
    gain: 'W_hh gain',
    clip: 'Clipping threshold τ',
    lr: 'Learning rate lr',
    seed: 'Seed',
    runFree: 'no clipping',
    runClipped: 'clipped at τ = {tau}',
    xLabel: 'training step',
    gradLabel: '‖g‖ (before clipping)',
    lossLabel: 'minibatch MSE',
    thresholdLabel: 'τ = {tau}',
    baselineLabel: 'baseline',
    ariaGrad: 'Gradient norm per training step, for the run without and the run with clipping',
    ariaLoss: 'Loss per training step, for the run without and the run with clipping',
    tableCaption: 'Gradient norm ‖g‖ (before clipping) and minibatch mean squared error per training step',
    colStep: 'step',
    colGradFree: '‖g‖ no clipping',
    colGradClipped: '‖g‖ clipped',
    colClipped: 'clipped',
    colLossFree: 'MSE no clipping',
    colLossClipped: 'MSE clipped',
    yes: 'yes',
    no: 'no',
    summary:
      'Test error (mean squared error) after {steps} steps: without clipping {free}, with clipping (τ = {tau}) {clipped}; the trivial baseline (always answer 1) has {baseline}.',
    ratio: ' ({ratio} × baseline)',
    diverged: 'diverged (non-finite values)',
    clippedCount: 'The clipped run was clipped at {count} of {steps} steps; without clipping ‖g‖ reached {maxFree}.',
  },
};
