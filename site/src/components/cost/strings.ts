// Strings of the cost widget in both languages (typed: neither may miss a key).
export interface CostStrings {
  [key: string]: string;
  caption: string;
  hiddenSize: string;
  inputSize: string;
  params: string;
  macs: string;
  yLabel: string;
  ariaLabel: string;
  tableCaption: string;
  cell: string;
  formulaLine: string;
  summary: string;
}

export const STRINGS: Record<'zh-CN' | 'en', CostStrings> = {
  'zh-CN': {
    caption:
      '左：一层循环网络的参数个数（torch.nn 的计法，不含读出层）；右：一步前向计算的乘加次数，即 G·H·(D+H) 次矩阵–向量乘加，加上读出层的 H 次。柱顶标出数值和相对 RNN 的倍数：参数恰好是 4 倍和 3 倍；乘加因为三者共有读出层的 H 次，低于 4 倍和 3 倍。',
    hiddenSize: '隐藏维度 H',
    inputSize: '输入维度 D',
    params: '参数个数',
    macs: '每步乘加次数',
    yLabel: '个数',
    ariaLabel: 'RNN、LSTM、GRU 的参数个数与每步乘加次数',
    tableCaption: '参数个数与每步乘加次数（括号内为相对 RNN 的倍数）',
    cell: '单元',
    formulaLine: '{cell}：{formula} = {substituted} = {count}',
    summary: 'H = {H}、D = {D} 时，LSTM 的参数是 RNN 的 {lstm} 倍，GRU 是 {gru} 倍；每步乘加分别是 {lstmMacs} 倍和 {gruMacs} 倍。',
  },
  en: {
    caption:
      'Left: parameters of one recurrent layer (as torch.nn counts them, without the readout). Right: multiply-adds of one forward step, G·H·(D+H) in the matrix–vector products plus H in the readout. On top of each bar: the count and its ratio to the RNN. Parameters are exactly 4× and 3×; multiply-adds come out below, because the readout’s H is the same for all three.',
    hiddenSize: 'Hidden size H',
    inputSize: 'Input size D',
    params: 'parameters',
    macs: 'multiply-adds per step',
    yLabel: 'count',
    ariaLabel: 'Parameter counts and multiply-adds per step of RNN, LSTM and GRU',
    tableCaption: 'Parameters and multiply-adds per step (ratio to the RNN in brackets)',
    cell: 'cell',
    formulaLine: '{cell}: {formula} = {substituted} = {count}',
    summary: 'At H = {H}, D = {D} the LSTM has {lstm}× the parameters of the RNN and the GRU {gru}×; per step they need {lstmMacs}× and {gruMacs}× the multiply-adds.',
  },
};
