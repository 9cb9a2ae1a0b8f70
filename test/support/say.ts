/** Renders a simulated respondent's answer as the words an applicant would type, for end-to-end tests. */
import type { ObservedAnswer } from '../../src/dialog/belief/types.js';
import type { BankQuestion } from '../../src/questions/types.js';

export function say(a: ObservedAnswer, q: BankQuestion): { text?: string; choice?: string } {
  switch (a.kind) {
    case 'number': {
      const unit = q.unit && !q.unit.includes('/') ? q.unit : '';
      if (a.low !== undefined && a.high !== undefined)
        return { text: `${Math.round(a.low)}到${Math.round(a.high)}${unit}吧` };
      const v = Math.round(a.value ?? 0);
      return { text: a.approx ? `大概${v}${unit}` : `${v}${unit}` };
    }
    case 'boolean':
      return a.value ? { text: '是的，有' } : { text: '没有' };
    case 'choice':
      return q.choices?.some((c) => c.id === a.value) ? { choice: a.value } : { text: a.value };
    case 'none':
      return {
        text:
          a.intent === 'refuse'
            ? '这个不方便说'
            : a.intent === 'dont_know'
              ? '不清楚'
              : a.intent === 'leave'
                ? '我要走了，不聊了'
                : '啊？',
      };
  }
}
