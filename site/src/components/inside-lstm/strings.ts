// Strings of the inside-the-LSTM widget in both languages (typed: neither may miss a key).
// Math symbols are the page's: fₜ, iₜ, gₜ, oₜ, cₜ, hₜ, j for a unit (rows counted from 0).
export interface InsideLstmStrings {
  [key: string]: string;
  caption: string;
  seqLen: string;
  hiddenSize: string;
  forgetBias: string;
  seed: string;
  timeStep: string;
  unit: string;
  unitMean: string;
  unitOption: string;
  diagramLabel: string;
  diagramDescription: string;
  cellState: string;
  forgetName: string;
  inputName: string;
  candidateName: string;
  outputName: string;
  heatmapsLabel: string;
  heatmapDescription: string;
  xLabel: string;
  yLabel: string;
  sigmoidLegend: string;
  candidateLegend: string;
  cellLegend: string;
  gateI: string;
  gateF: string;
  gateG: string;
  gateO: string;
  gateC: string;
  meansCaption: string;
  unitsCaption: string;
  sampled: string;
  summary: string;
}

export const STRINGS: Record<'zh-CN' | 'en', InsideLstmStrings> = {
  'zh-CN': {
    caption:
      '一个 LSTM 单元在时间步 t 的内部：上方的细胞状态通道只经过 ⊙fₜ 和 ⊕ 两个逐元素运算，四个门由 xₜ 和 hₜ₋₁ 算出。拖动时间步即可查看每一步的门值（不会重新请求数据）；下方热力图给出全部时间步 × 单元的 iₜ、fₜ、gₜ、oₜ 与 cₜ，竖线标出当前的 t。',
    seqLen: '序列长度 T',
    hiddenSize: '隐藏维度 H',
    forgetBias: '遗忘门偏置 b_f',
    seed: '随机种子',
    timeStep: '时间步 t',
    unit: '单元 j',
    unitMean: '全部单元的平均',
    unitOption: 'j = {j}',
    diagramLabel: 'LSTM 单元结构图，显示时间步 t = {t} 的门值（{unit}）',
    diagramDescription:
      '细胞状态从 cₜ₋₁ 经逐元素乘以遗忘门 fₜ、再加上 iₜ ⊙ gₜ 得到 cₜ；输入 xₜ 与 hₜ₋₁ 进入四个门；输出 hₜ = oₜ ⊙ tanh(cₜ)。当前值：{values}。',
    cellState: '细胞状态',
    forgetName: '遗忘门',
    inputName: '输入门',
    candidateName: '候选值',
    outputName: '输出门',
    heatmapsLabel: 'iₜ、fₜ、gₜ、oₜ、cₜ 随时间步和单元变化的热力图',
    heatmapDescription: '{name} 的热力图：横轴为时间步 t（1 到 {T}），纵轴为单元 j（0 到 {Hm1}），颜色表示数值；全部取值的平均为 {mean}。',
    xLabel: '时间步 t',
    yLabel: '单元 j',
    sigmoidLegend: 'iₜ、fₜ、oₜ（σ，取值 0 到 1）',
    candidateLegend: 'gₜ（tanh，取值 −1 到 1）',
    cellLegend: 'cₜ（以 0 为中心，范围 ±max |cₜ|）',
    gateI: '输入门 iₜ',
    gateF: '遗忘门 fₜ',
    gateG: '候选值 gₜ',
    gateO: '输出门 oₜ',
    gateC: '细胞状态 cₜ',
    meansCaption: '各时间步的门值（对全部 H 个单元取平均）',
    unitsCaption: '时间步 t = {t} 各单元的取值',
    sampled: '（T 较大时只列出均匀抽取的 100 个时间步）',
    summary: '时间步 t = {t}，平均值：{values}。',
  },
  en: {
    caption:
      'Inside one LSTM cell at time step t: the cell-state path along the top passes only the element-wise ⊙fₜ and ⊕, and the four gates are computed from xₜ and hₜ₋₁. Drag the time step to see the gate values at each step (no new request); the heatmaps below show iₜ, fₜ, gₜ, oₜ and cₜ for every time step × unit, with a line at the current t.',
    seqLen: 'Sequence length T',
    hiddenSize: 'Hidden size H',
    forgetBias: 'Forget-gate bias b_f',
    seed: 'Seed',
    timeStep: 'time step t',
    unit: 'unit j',
    unitMean: 'mean over all units',
    unitOption: 'j = {j}',
    diagramLabel: 'Diagram of an LSTM cell showing the gate values at time step t = {t} ({unit})',
    diagramDescription:
      'The cell state goes from cₜ₋₁, multiplied element-wise by the forget gate fₜ, plus iₜ ⊙ gₜ, to cₜ; the inputs xₜ and hₜ₋₁ feed the four gates; the output is hₜ = oₜ ⊙ tanh(cₜ). Current values: {values}.',
    cellState: 'cell state',
    forgetName: 'forget',
    inputName: 'input',
    candidateName: 'candidate',
    outputName: 'output',
    heatmapsLabel: 'Heatmaps of iₜ, fₜ, gₜ, oₜ and cₜ over time steps and units',
    heatmapDescription: 'Heatmap of {name}: time step t (1 to {T}) across, unit j (0 to {Hm1}) down, colour for the value; the mean of all values is {mean}.',
    xLabel: 'time step t',
    yLabel: 'unit j',
    sigmoidLegend: 'iₜ, fₜ, oₜ (σ, from 0 to 1)',
    candidateLegend: 'gₜ (tanh, from −1 to 1)',
    cellLegend: 'cₜ (centred on 0, range ±max |cₜ|)',
    gateI: 'input gate iₜ',
    gateF: 'forget gate fₜ',
    gateG: 'candidate gₜ',
    gateO: 'output gate oₜ',
    gateC: 'cell state cₜ',
    meansCaption: 'Gate values per time step (mean over all H units)',
    unitsCaption: 'Values of each unit at time step t = {t}',
    sampled: '(for large T the table lists 100 evenly spaced steps)',
    summary: 'Time step t = {t}, means: {values}.',
  },
};
