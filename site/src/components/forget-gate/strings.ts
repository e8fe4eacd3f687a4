// Strings of the forget-gate widget in both languages (typed: neither may miss a key).
export interface ForgetGateStrings {
  [key: string]: string;
  caption: string;
  forgetBias: string;
  seqLen: string;
  hiddenSize: string;
  init: string;
  seed: string;
  xLabel: string;
  yLabel: string;
  gradC: string;
  cellPath: string;
  reference: string;
  ariaLabel: string;
  tableCaption: string;
  sampled: string;
  readout: string;
  summary: string;
}

export const STRINGS: Record<'zh-CN' | 'en', ForgetGateStrings> = {
  'zh-CN': {
    caption:
      '蓝线是损失对细胞状态的梯度 log₁₀‖∂L/∂cₜ‖，紫线是细胞通道 log₁₀ max_j ∏ₖ₌ₜ₊₁ᵀ f_k[j]（恒定误差传送带上保留下来的比例），灰色虚线是 (T−t)·log₁₀ σ(b_f)，即每个遗忘门都恰好等于 σ(b_f) 时细胞通道应有的值。紫线取的是最敞开的那个单元（max_j），所以可以高于虚线。b_f 是加在 b_ih 遗忘门块上的偏置；输入和隐藏状态带来的扰动让实测的门值偏离 σ(b_f)。',
    forgetBias: '遗忘门偏置 b_f',
    seqLen: '序列长度 T',
    hiddenSize: '隐藏维度 H',
    init: '初始化',
    seed: '随机种子',
    xLabel: '时间步 t',
    yLabel: 'log₁₀',
    gradC: 'log₁₀ ‖∂L/∂cₜ‖',
    cellPath: '细胞通道 log₁₀ max_j ∏ f_k[j]',
    reference: '(T−t)·log₁₀ σ(b_f)',
    ariaLabel: '遗忘门偏置对细胞状态梯度与细胞通道的影响',
    tableCaption: '各时间步的 log₁₀ 值',
    sampled: '（T 较大时表格只列出均匀抽取的 100 个时间步）',
    readout: '平均遗忘门 f̄ = {mean}，σ(b_f) = {sigma}（b_f = {bias}）。',
    summary: '在 t = 1 处：log₁₀‖∂L/∂cₜ‖ = {grad}，细胞通道 = {path}，(T−t)·log₁₀ σ(b_f) = {ref}。',
    badSeed: '随机种子须为 0 到 4294967295 之间的整数。',
  },
  en: {
    caption:
      'Blue: the gradient with respect to the cell state, log₁₀‖∂L/∂cₜ‖. Purple: the cell path log₁₀ max_j ∏ₖ₌ₜ₊₁ᵀ f_k[j], the share the constant error carousel keeps. Grey, dashed: (T−t)·log₁₀ σ(b_f), the value the cell path would have if every forget gate sat at σ(b_f). The cell path follows the most open unit (max_j), so it can lie above the dashed line. b_f is added to the forget-gate block of b_ih; inputs and hidden states move the measured gates away from σ(b_f).',
    forgetBias: 'Forget-gate bias b_f',
    seqLen: 'Sequence length T',
    hiddenSize: 'Hidden size H',
    init: 'Initialisation',
    seed: 'Seed',
    xLabel: 'time step t',
    yLabel: 'log₁₀',
    gradC: 'log₁₀ ‖∂L/∂cₜ‖',
    cellPath: 'cell path log₁₀ max_j ∏ f_k[j]',
    reference: '(T−t)·log₁₀ σ(b_f)',
    ariaLabel: 'Effect of the forget-gate bias on the cell-state gradient and the cell path',
    tableCaption: 'log₁₀ values per time step',
    sampled: '(for large T the table lists 100 evenly spaced steps)',
    readout: 'Mean forget gate f̄ = {mean}, σ(b_f) = {sigma} (b_f = {bias}).',
    summary: 'At t = 1: log₁₀‖∂L/∂cₜ‖ = {grad}, cell path = {path}, (T−t)·log₁₀ σ(b_f) = {ref}.',
    badSeed: 'The seed must be a whole number from 0 to 4294967295.',
  },
};
