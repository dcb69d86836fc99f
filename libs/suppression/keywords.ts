export type KeywordAction = 'stop' | 'start' | 'help' | 'reply';

export interface ParsedKeyword {
  action: KeywordAction;
  /** The command as matched, upper-cased ("STOPP", "SKOLA STOPP"); null for an ordinary reply. */
  keyword: string | null;
  /** A short code's keyword before STOP / START / HELP ("SKOLA" in "Skola stopp"); null without one. */
  prefix: string | null;
}

const WORDS: Record<string, Exclude<KeywordAction, 'reply'>> = {
  STOP: 'stop',
  STOPP: 'stop',
  STOPALL: 'stop',
  UNSUBSCRIBE: 'stop',
  CANCEL: 'stop',
  END: 'stop',
  QUIT: 'stop',
  OPTOUT: 'stop',
  REVOKE: 'stop',
  START: 'start',
  YES: 'start',
  UNSTOP: 'start',
  HELP: 'help',
  INFO: 'help',
};

/** The second word of "<KEYWORD> STOPP": only these act after a short code's keyword ("SKOLA HELP" asks that tenant). */
const AFTER_PREFIX: Record<string, Exclude<KeywordAction, 'reply'>> = { STOP: 'stop', STOPP: 'stop', START: 'start', HELP: 'help', INFO: 'help' };

const REPLY: ParsedKeyword = { action: 'reply', keyword: null, prefix: null };

/**
 * Reads an inbound SMS as a keyword: one word (trimmed, any case, trailing punctuation such as
 * "Stopp!" tolerated), or a short code's keyword followed by STOP / STOPP / START / HELP / INFO. Anything else is
 * an ordinary reply: a sentence that merely contains "stop" must not unsubscribe anyone.
 */
export function parseKeyword(body: string): ParsedKeyword {
  const text = body
    .trim()
    .replace(/[\s.,!?;:…'"’”»)]+$/u, '')
    .toUpperCase();
  if (!text) return REPLY;
  const words = text.split(/\s+/);
  if (words.length === 1) {
    const action = WORDS[words[0]];
    return action ? { action, keyword: words[0], prefix: null } : REPLY;
  }
  if (words.length === 2 && /^[A-Z0-9]{1,20}$/.test(words[0])) {
    const action = AFTER_PREFIX[words[1]];
    if (action) return { action, keyword: `${words[0]} ${words[1]}`, prefix: words[0] };
  }
  return REPLY;
}
