/** The interviewer's own lines (not questions), in both languages. Plain spoken language, polite, never leading. */
import type { Lang } from '../../questions/types.js';
import type { EndReason } from './types.js';

type Texts = Record<Lang, string>;

export const GREETING: Texts = {
  'zh-CN':
    '您好！我是银行的智能调查助手，接下来会问您几个关于生意和家里情况的问题，大概几分钟。按实际情况说就行，记不清的说个大概也可以。',
  'en-US':
    "Hello! I'm the bank's interview assistant. I'll ask you a few questions about your business and household; it takes a few minutes. Answer as things really are; a rough figure is fine if you don't remember exactly.",
};

export const GENERIC_REPHRASE: Texts = {
  'zh-CN': '不好意思，我没太听明白。能换个说法再说一下吗？说个大概的数也行。',
  'en-US': "Sorry, I didn't quite get that. Could you say it another way? A rough figure is fine.",
};

/**
 * The interviewer's answer to a question put to it, said before its own question goes again: why it asks (the
 * purpose of the interview, truthfully), and that it is a machine (an applicant is entitled to know, and to a person).
 */
export const ASIDES: Record<'why_asked' | 'bot_identity', Texts> = {
  why_asked: {
    'zh-CN': '问这些是为了了解您生意的实际情况，好让银行给您定合适的额度和利率。您的回答只用于这次贷款。',
    'en-US':
      'These questions help the bank understand how your business really runs, so it can offer you the right amount and rate. Your answers are used only for this loan.',
  },
  bot_identity: {
    'zh-CN':
      '我是银行的智能调查助手，是电脑程序，不是真人。您的回答会记录下来，由客户经理和审核人员查看。想和真人说，回复“转人工”就行。',
    'en-US':
      'I\'m the bank\'s interview assistant, a computer program, not a person. Your answers are recorded and read by your loan officer and reviewers. To talk to a person, reply "human".',
  },
};

export const RATE_LIMITED: Texts = {
  'zh-CN': '消息有点多，请稍等一下再回复，我们一条一条来。',
  'en-US': "That's a lot of messages at once. Please wait a moment; let's take them one at a time.",
};

export const ENDINGS: Record<EndReason, Texts> = {
  doubt_low: {
    'zh-CN': '好的，问题都问完了，感谢您的耐心配合！客户经理会尽快和您联系。',
    'en-US':
      "That's all the questions. Thank you for your patience! Your loan officer will be in touch soon.",
  },
  budget_spent: {
    'zh-CN': '好的，今天就先问到这里，感谢您的配合！客户经理会尽快和您联系。',
    'en-US': "That's all for today. Thank you! Your loan officer will be in touch soon.",
  },
  no_questions: {
    'zh-CN': '好的，问题都问完了，感谢您的配合！客户经理会尽快和您联系。',
    'en-US': "That's all the questions. Thank you! Your loan officer will be in touch soon.",
  },
  applicant_left: {
    'zh-CN': '好的，那我们今天先到这里。需要继续的话，请联系您的客户经理。',
    'en-US': "All right, we'll stop here for today. Please contact your loan officer to continue.",
  },
  wants_person: {
    'zh-CN': '好的，我们会请客户经理直接和您联系。感谢您的配合！',
    'en-US': 'All right, we will ask your loan officer to contact you directly. Thank you!',
  },
  flood: {
    'zh-CN': '收到的消息太多了，我们先暂停一下。客户经理会和您联系，继续完成调查。',
    'en-US':
      'We received too many messages, so we will pause here. Your loan officer will contact you to continue.',
  },
  refused_all: {
    'zh-CN': '好的，理解。我们先到这里，客户经理会和您联系。',
    'en-US': 'Understood. We will stop here; your loan officer will contact you.',
  },
  expired: {
    'zh-CN': '这次调查已经超时结束了。需要的话请联系您的客户经理重新安排。',
    'en-US': 'This interview has timed out. Please contact your loan officer to arrange another one.',
  },
  abandoned: {
    'zh-CN': '这次调查已经结束了。需要的话请联系您的客户经理。',
    'en-US': 'This interview has ended. Please contact your loan officer if needed.',
  },
};

export const YES_NO_CHOICES: Record<Lang, { id: string; label: string }[]> = {
  'zh-CN': [
    { id: 'yes', label: '是' },
    { id: 'no', label: '不是' },
  ],
  'en-US': [
    { id: 'yes', label: 'Yes' },
    { id: 'no', label: 'No' },
  ],
};
