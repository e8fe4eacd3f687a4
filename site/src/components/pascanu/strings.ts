// Strings of the repeated-multiplication widget in both languages (typed: neither may miss a key).
export interface PascanuStrings {
  [key: string]: string;
  caption: string;
  seqLen: string;
  gain: string;
  hiddenSize: string;
  init: string;
  nonlinearity: string;
  seed: string;
  xLabel: string;
  yLabel: string;
  measured: string;
  bound: string;
  ariaLabel: string;
  tableCaption: string;
  sampled: string;
  /** The regime in words, one per regime, and γ·σ_max ({eta}) compared with 1. */
  regimeVanishing: string;
  regimeCritical: string;
  regimeExploding: string;
  etaBelow: string;
  etaNear: string;
  etaAbove: string;
  /** {comparison} and {regime} on one line. */
  regimeLine: string;
  readout: string;
  criticalGain: string;
  /** {steps}: where the measured norm is null because the Jacobian is exactly zero. */
  zeroJacobian: string;
}

export const STRINGS: Record<'zh-CN' | 'en', PascanuStrings> = {
  'zh-CN': {
    caption:
      '实线是实测的雅可比范数 log₁₀‖∂h_T/∂hₜ‖，虚线是 Pascanu 等人的上界 (T−t)·log₁₀(γ·σ_max(W_hh))。着色区域是上界允许实测值所在的范围：γ·σ_max < 1 时它随距离收窄（蓝色，梯度必然消失），γ·σ_max > 1 时它向上敞开（红色，可能爆炸但并不保证）。增益乘在 W_hh 上，σ_max 随之等比例变化。',
    seqLen: '序列长度 T',
    gain: 'W_hh 增益',
    hiddenSize: '隐藏维度 H',
    init: '初始化',
    nonlinearity: '激活函数',
    seed: '随机种子',
    xLabel: '时间步 t',
    yLabel: 'log₁₀ ‖∂h_T/∂hₜ‖',
    measured: '实测 log₁₀‖∂h_T/∂hₜ‖',
    bound: '上界 (T−t)·log₁₀(γ·σ_max)',
    ariaLabel: '实测雅可比范数与 Pascanu 上界随时间步的变化',
    tableCaption: '各时间步的实测值与上界（log₁₀）',
    sampled: '（T 较大时表格只列出均匀抽取的 100 个时间步）',
    regimeVanishing: '必然消失',
    regimeCritical: '临界，上界恒为 1',
    regimeExploding: '可能爆炸（不保证）',
    etaBelow: 'γ·σ_max = {eta} < 1',
    etaNear: 'γ·σ_max = {eta}',
    etaAbove: 'γ·σ_max = {eta} > 1',
    regimeLine: '{comparison}：{regime}',
    readout: 'σ_max(W_hh) = {sigma}（已乘增益 {gain}），γ = 1（{act}）。',
    criticalGain: '在这组权重下，增益约为 {critical} 时 γ·σ_max 越过 1。',
    badSeed: '随机种子须为 0 到 4294967295 之间的整数。',
    zeroJacobian: '在 {steps} 个时间步上雅可比矩阵恰好为 0（某一步所有 ReLU 单元都未激活），其对数无定义，图中留空。',
  },
  en: {
    caption:
      'The solid line is the measured Jacobian norm log₁₀‖∂h_T/∂hₜ‖, the dashed line the bound of Pascanu et al., (T−t)·log₁₀(γ·σ_max(W_hh)). The shaded region is where the bound allows the measured norm to be: for γ·σ_max < 1 it narrows with distance (blue: vanishing is guaranteed), for γ·σ_max > 1 it opens upwards (red: exploding is possible but not guaranteed). The gain multiplies W_hh, so σ_max scales with it.',
    seqLen: 'Sequence length T',
    gain: 'W_hh gain',
    hiddenSize: 'Hidden size H',
    init: 'Initialisation',
    nonlinearity: 'Activation',
    seed: 'Seed',
    xLabel: 'time step t',
    yLabel: 'log₁₀ ‖∂h_T/∂hₜ‖',
    measured: 'measured log₁₀‖∂h_T/∂hₜ‖',
    bound: 'bound (T−t)·log₁₀(γ·σ_max)',
    ariaLabel: 'Measured Jacobian norm and the Pascanu bound against the time step',
    tableCaption: 'Measured norm and bound per time step (log₁₀)',
    sampled: '(for large T the table lists 100 evenly spaced steps)',
    regimeVanishing: 'vanishing guaranteed',
    regimeCritical: 'on the boundary, the bound stays at 1',
    regimeExploding: 'exploding possible, not guaranteed',
    etaBelow: 'γ·σ_max = {eta} < 1',
    etaNear: 'γ·σ_max = {eta}',
    etaAbove: 'γ·σ_max = {eta} > 1',
    regimeLine: '{comparison}: {regime}',
    readout: 'σ_max(W_hh) = {sigma} (gain {gain} included), γ = 1 ({act}).',
    criticalGain: 'For these weights γ·σ_max crosses 1 at a gain of about {critical}.',
    badSeed: 'The seed must be a whole number from 0 to 4294967295.',
    zeroJacobian: 'At {steps} time steps the Jacobian is exactly 0 (at some step every ReLU unit is inactive); its logarithm is undefined and left blank in the chart.',
  },
};
