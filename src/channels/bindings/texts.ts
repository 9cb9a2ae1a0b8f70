/** What channels say themselves (not interview questions): binding help, refusals, busy. */
import type { Lang } from '../../questions/types.js';

export const CHANNEL_TEXTS = {
  howToBind: {
    'zh-CN':
      '您好！请先在银行发给您的面试网页上完成身份验证，然后把网页上显示的 8 位绑定码发到这里（例如：绑定 AB12CD34），或用微信扫描网页上的二维码。',
    'en-US':
      "Hello! Please verify your identity on the interview page the bank sent you, then send the 8-character binding code shown there (e.g. 'bind AB12CD34'), or scan the page's QR code with WeChat.",
  },
  badCode: {
    'zh-CN': '绑定码无效或已过期，请在面试网页上重新获取。',
    'en-US': 'That binding code is not valid or has expired; please get a new one on the interview page.',
  },
  tooManyTries: {
    'zh-CN': '尝试次数过多，请一小时后再试。',
    'en-US': 'Too many tries; please try again in an hour.',
  },
  bound: {
    'zh-CN': '已连接到您的面试。',
    'en-US': 'You are connected to your interview.',
  },
  unsupported: {
    'zh-CN': '请用文字或语音回答问题。',
    'en-US': 'Please answer with text or voice.',
  },
  ended: {
    'zh-CN': '本次面试已经结束，感谢您的配合。',
    'en-US': 'This interview has ended. Thank you.',
  },
  busy: {
    'zh-CN': '系统繁忙，请稍后再发一次。',
    'en-US': 'The service is busy; please send that again in a moment.',
  },
  openFromLink: {
    'zh-CN': '请从银行发给您的面试链接打开本对话。',
    'en-US': 'Please open this chat from the interview link the bank sent you.',
  },
} as const satisfies Record<string, Record<Lang, string>>;

export type ChannelTextKey = keyof typeof CHANNEL_TEXTS;

export const channelText = (key: ChannelTextKey, lang: Lang = 'zh-CN') => CHANNEL_TEXTS[key][lang];
