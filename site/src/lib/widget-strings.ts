// Messages the WidgetElement base shows for each kind of API failure, in both languages. The
// WidgetFrame hands them to every widget, so no widget can show a bare key.
export interface WidgetErrorStrings {
  errorBudget: string;
  errorRateLimit: string;
  errorBadRequest: string;
  errorMalformed: string;
  errorServer: string;
  copyFailed: string;
  badSeed: string;
}

export const ERROR_STRINGS: Record<'zh-CN' | 'en', WidgetErrorStrings> = {
  'zh-CN': {
    errorBudget: '这组参数超出了接口的计算预算。',
    errorRateLimit: '请求过于频繁，请 {seconds} 秒后重试。',
    errorBadRequest: '参数无效：',
    errorMalformed: '接口返回了无法识别的数据。',
    errorServer: '接口出错',
    copyFailed: '无法复制，请手动选择文本。',
    badSeed: '随机种子须为 0 到 4294967295 之间的整数。',
  },
  en: {
    errorBudget: 'These settings exceed the API’s compute budget.',
    errorRateLimit: 'Too many requests; try again in {seconds} s.',
    errorBadRequest: 'Invalid settings:',
    errorMalformed: 'The API sent an answer the widget does not understand.',
    errorServer: 'The API failed',
    copyFailed: 'Could not copy; select the text by hand.',
    badSeed: 'The seed must be a whole number from 0 to 4294967295.',
  },
};
