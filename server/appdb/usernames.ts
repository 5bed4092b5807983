// One spelling per account name. NFKC folds full-width and compatibility forms (ｌｅａｄｅｒ), lower case
// folds capitals, and only ASCII letters, digits and . _ - are allowed, so a look-alike (a Cyrillic е
// in lеader) can neither be created beside an account nor stand for it at login.

export const USERNAME_RULE = /^[a-z0-9][a-z0-9._-]{1,31}$/;

export const normaliseUsername = (raw: string) => raw.normalize('NFKC').toLowerCase();

/** Why a (normalised) name cannot be an account name, or null when it can. */
export function usernameProblem(name: string): string | null {
  return USERNAME_RULE.test(name)
    ? null
    : 'a username is 2 to 32 characters: lower-case letters a-z, digits and . _ - (starting with a letter or digit)';
}
