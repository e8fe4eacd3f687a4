// Strings of the gradient-flow widget in both languages (typed: neither may miss a key).
export interface GradientFlowStrings {
  [key: string]: string;
  caption: string;
  seqLen: string;
  gain: string;
  hiddenSize: string;
  init: string;
  nonlinearity: string;
  seed: string;
  cells: string;
  xLabel: string;
  yLabel: string;
  ariaLabel: string;
  tableCaption: string;
  summary: string;
  sampled: string;
  needCell: string;
}

export const STRINGS: Record<'zh-CN' | 'en', GradientFlowStrings> = {
  'zh-CN': {
    caption: '损失对各时间步隐藏状态的梯度范数 log₁₀‖∂L/∂hₜ‖（损失只在最后一步计算）。曲线越往左越低，说明越早的时间步收到的梯度越弱。',
    seqLen: '序列长度 T',
    gain: 'W_hh 增益',
    hiddenSize: '隐藏维度 H',
    init: '初始化',
    nonlinearity: 'RNN 激活函数',
    seed: '随机种子',
    cells: '单元',
    xLabel: '时间步 t',
    yLabel: 'log₁₀ ‖∂L/∂hₜ‖',
    ariaLabel: '梯度随时间反向传播的衰减曲线',
    tableCaption: '各时间步的 log₁₀ ‖∂L/∂hₜ‖',
    summary: '{cell}：t = 1 时为 {first}，t = T 时为 {last}',
    sampled: '（T 较大时表格只列出均匀抽取的 100 个时间步）',
    needCell: '请至少选择一种单元。',
  },
  en: {
    caption: 'Norm of the loss gradient with respect to each hidden state, log₁₀‖∂L/∂hₜ‖ (loss measured at the last step only). The lower a curve sits towards the left, the weaker the signal that reaches early steps.',
    seqLen: 'Sequence length T',
    gain: 'W_hh gain',
    hiddenSize: 'Hidden size H',
    init: 'Initialisation',
    nonlinearity: 'RNN activation',
    seed: 'Seed',
    cells: 'Cells',
    xLabel: 'time step t',
    yLabel: 'log₁₀ ‖∂L/∂hₜ‖',
    ariaLabel: 'Decay of the gradient norm back through time',
    tableCaption: 'log₁₀ ‖∂L/∂hₜ‖ per time step',
    summary: '{cell}: {first} at t = 1, {last} at t = T',
    sampled: '(for large T the table lists 100 evenly spaced steps)',
    needCell: 'Select at least one cell.',
  },
};
