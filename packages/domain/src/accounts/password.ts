/**
 * Which passwords are too easy to guess: the most common ones, one character repeated, a run of
 * keys or letters, or the account's own phone number. The length rule (8–128) is the contract's.
 */

export type PasswordProblem = 'common' | 'repeated' | 'sequence' | 'contains_phone';

export interface PasswordCheck {
  ok: boolean;
  problem?: PasswordProblem;
}

/** Why, in each language, for the caller's message. */
export const PASSWORD_PROBLEMS: Record<PasswordProblem, { zh: string; en: string }> = {
  common: { zh: '这是最常见的密码之一', en: 'it is one of the most common passwords' },
  repeated: { zh: '只由一两个字符反复组成', en: 'it repeats one or two characters' },
  sequence: { zh: '是连续的数字、字母或键盘序列', en: 'it is a run of digits, letters or keys' },
  contains_phone: { zh: '包含手机号', en: 'it contains the phone number' },
};

/**
 * The most common passwords of leaked lists (Chinese and international) of 8 or more characters,
 * lower-cased; a password is refused when it equals one of them ignoring case and a trailing run of
 * digits or punctuation that only repeats, e.g. `Password1!`.
 */
const COMMON = new Set([
  '12345678', '123456789', '1234567890', '11111111', '00000000', '88888888', '66666666', '87654321',
  '12341234', '11223344', '12344321', '11112222', '12121212', '123123123', '147258369', '123654789',
  '147852369', '159357258', '520520520', '5201314520', '1314520520', '13145201314', 'woaini1314',
  'woaini520', 'iloveyou', 'iloveyou1', 'password', 'password1', 'password123', 'passw0rd', 'p@ssw0rd',
  'p@ssword', 'qwertyuiop', 'qwerty123', 'qwer1234', 'qwertyui', '1qaz2wsx', '1q2w3e4r', '1q2w3e4r5t',
  'zaq12wsx', 'asdfghjkl', 'asdf1234', 'zxcvbnm1', 'zxcvbnm123', 'a1234567', 'a12345678', 'abc12345',
  'abcd1234', 'aa123456', 'aa12345678', 'a123456789', 'abc123456', 'admin123', 'admin1234', 'administrator',
  'welcome1', 'welcome123', 'sunshine', 'princess', 'football', 'baseball', 'superman', 'starwars',
  'trustno1', 'letmein1', 'dragon123', 'monkey123', 'master123', 'whatever', 'computer', 'internet',
  'changeme', 'michael1', 'shadow123', 'q1w2e3r4', 'q1w2e3r4t5', 'aaaaaaaa', 'qqqqqqqq', 'woaini123',
  'wodemima', 'mima1234', 'mima123456', 'zhang123', 'wang1234', 'li123456', 'huawei123', 'xiaomi123',
  'password!', 'demo12345',
]);

/** Rows of keys and runs of the alphabet, forwards; a password inside one of them (or backwards) is a sequence. */
const RUNS = [
  '01234567890',
  'abcdefghijklmnopqrstuvwxyz',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  'qazwsxedcrfvtgbyhnujmikolp',
];

function isSequence(value: string): boolean {
  const reversed = [...value].reverse().join('');
  if (RUNS.some((run) => run.includes(value) || run.includes(reversed))) return true;
  // Steps of one up or down in character code throughout: 13579…, aceg… are not, 2345678 or 98765432 are.
  const codes = [...value].map((c) => c.codePointAt(0)!);
  const step = codes[1]! - codes[0]!;
  return Math.abs(step) === 1 && codes.every((c, i) => i === 0 || c - codes[i - 1]! === step);
}

/** Checks a new password against the account's phone number (when there is one). */
export function checkPassword(password: string, context: { phone?: string } = {}): PasswordCheck {
  const value = password.toLowerCase();
  const chars = [...value];
  // One or two characters over and over: `aaaaaaaa`, eight spaces, `abababab`.
  if (new Set(chars).size <= 2) return { ok: false, problem: 'repeated' };
  const core = value.trim();
  if (COMMON.has(core) || COMMON.has(core.replace(/[\d!@#$%^&*.?]{1,4}$/, ''))) return { ok: false, problem: 'common' };
  if (isSequence(core)) return { ok: false, problem: 'sequence' };
  const phone = context.phone?.trim();
  if (phone && (value.includes(phone) || value.includes(phone.slice(-8)))) return { ok: false, problem: 'contains_phone' };
  return { ok: true };
}
