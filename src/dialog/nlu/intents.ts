/**
 * Keyword intents of a reply, in Chinese and English. Matching is on the normalised text; words whose
 * meaning depends on segmentation (人工 the operator vs 人工费 labour cost) are matched on jieba tokens.
 */

export interface IntentFlags {
  wantsPerson: boolean;
  refuse: boolean;
  dontKnow: boolean;
  askBack: boolean;
  offTopic: boolean;
  /** Vague quantity words (很多, 不少, a lot) without a figure. */
  vague: boolean;
  /** Asks why the question is asked (问这个干嘛, why do you ask): owed the purpose, not only other words. */
  whyAsked: boolean;
  /** Asks whether it is talking to a machine (你是机器人吗, are you a bot): owed a straight answer. */
  botIdentity: boolean;
}

const WANTS_PERSON = [
  /(找|转|要|叫|让|跟|和|请|联系|换|接|给我)(个|一下|一个|你们的?)?(人工|真人|客服|客户经理|信贷员|工作人员|经理|活人|人来)/,
  /^(人工|转人工|人工客服|真人|客服)[!！。.?？]*$/,
  /\b(talk|speak|chat)\s+(to|with)\s+(a |an |the |my |some )?(human|person|real person|agent|officer|loan officer|manager|someone|somebody|staff)\b/,
  /\b(real person|live agent|human agent|operator)\b|^(human|agent)( please)?[.!]*$/,
];

const REFUSE = [
  /不想说|不方便|隐私|不愿意?说|不告诉|不想回答|不回答|无可奉告|保密|不能说|不说了|跟你没关系|管那么多|关你什么事|关你啥事|凭什么告诉|不想透露|不便透露/,
  /\b(rather not|prefer not|won't say|will not say|not comfortable|none of your business|private|confidential|no comment|decline to)\b/,
];

const DONT_KNOW = [
  /不知道|不清楚|记不得|记不清|不记得|忘了|忘记了|搞不清|说不好|说不准|不好说|没算过|没统计|没注意|不晓得|不太清楚|不确定|不一定|没数|没概念|说不上来|没记过|没记账|想不起来|不懂/,
  /\b(don'?t know|do not know|no idea|not sure|can'?t remember|cannot remember|don'?t remember|dunno|idk|unsure|no clue|not certain|hard to say|can'?t say)\b/,
];

const ASK_BACK = [
  /什么意思|啥意思|什么叫|啥叫|为什么问|为啥问|干嘛问|问这个干|问这干|你问的是|你是说|你是问|你指的是|指的是什么|是指什么|没听懂|不懂你|不明白|没明白|听不懂|再说一遍|再问一遍|没看懂|看不懂|包括.{0,8}吗|算不算|要不要算|含不含|是.{1,6}还是.{1,6}[?？]/,
  /\b(what do you mean|what does .{1,30} mean|mean by|do you mean|why do you ask|why do you (need|want) to know|what is (this|that) for|why are you asking|pardon|come again|say (that )?again|which one do you mean|you mean)\b|^sorry\?$/,
];

/** A question back in general (是不是要交？, 包括的吗): asking back unless it is chit-chat (你是机器人吗). */
const QUESTION_BACK = /(是不是|有没有|要不要|会不会|算不算|用不用|对不对).{0,10}[?？]$|吗[?？]?$/;

const OFF_TOPIC = [
  /^(你好|您好|在吗|在不在|哈+|呵+|嘿嘿|谢谢|多谢|早上好|晚上好|喂)[!！。.?？~～]*$/,
  /你是谁|你是机器人|机器人吗|你是ai|是不是真人|天气|吃饭了|吃了吗|几点了|下雨|你叫什么/,
  /^(hello|hi|hey|thanks|thank you|lol|haha)[!.?]*$|\b(who are you|are you a (bot|robot|human)|weather)\b/,
];

const WHY_ASKED =
  /为什么问|为啥问|干嘛问|问这个干|问这干|问这个做什么|问这个有什么用|问这个有啥用|\bwhy (do|did) you (ask|want to know|need to know|need)|\bwhy are you asking\b|\bwhat is (this|that) for\b/;
const BOT_IDENTITY =
  /你是谁|你是机器人|机器人吗|你是ai|你是人工智能|是不是真人|是真人吗|你是人吗|是不是机器|自动回复|\b(who are you|are you (a |an )?(bot|robot|human|real person|person|ai|machine)|is this (a |an )?(bot|robot|human|real person|ai|machine))\b/;

const VAGUE =
  /很多|不少|挺多|好多|没多少|不多|一些|一点点|蛮多|老多|a lot|lots|many|plenty|not much|a few|some/;

const any = (res: RegExp[], s: string) => res.some((re) => re.test(s));

export function detectIntents(norm: string, tokens: readonly string[]): IntentFlags {
  const shortOperatorWord = tokens.includes('人工') && norm.length <= 8 && !/费|成本|工资/.test(norm);
  const offTopic = any(OFF_TOPIC, norm);
  const askBack = any(ASK_BACK, norm) || (!offTopic && QUESTION_BACK.test(norm));
  return {
    wantsPerson: any(WANTS_PERSON, norm) || shortOperatorWord,
    refuse: any(REFUSE, norm),
    // 不懂你的意思 asks back; it does not say "I don't know".
    dontKnow: any(DONT_KNOW, norm) && !(askBack && /不懂你|不明白|没明白/.test(norm)),
    askBack,
    offTopic,
    vague: VAGUE.test(norm),
    whyAsked: WHY_ASKED.test(norm),
    botIdentity: BOT_IDENTITY.test(norm),
  };
}

const HEDGE =
  /大概|大约|估计|可能|应该|好像|也许|差不多|左右|上下|印象中|记得是|不太确定|不确定|不太清楚|说不准|约莫|似乎|貌似|吧[。.!！~～]*$|吧[,，]|\b(maybe|probably|about|around|roughly|approximately|i think|i guess|i believe|not sure|perhaps|kind of|sort of|more or less)\b/;

export const isHedged = (norm: string) => HEDGE.test(norm);
