// Client-side mirror of the server's rules for the owner account, so most mistakes are caught
// (and translated) before a request. The server stays the authority.
export const USERNAME_PATTERN = /^[a-z0-9._-]{3,32}$/;
export const PASSWORD_MIN_LENGTH = 10;

export type FieldErrorKey =
  | 'validation.required'
  | 'validation.username_format'
  | 'validation.password_short'
  | 'validation.password_mismatch';

export function checkUsername(username: string): FieldErrorKey | null {
  if (!username) return 'validation.required';
  return USERNAME_PATTERN.test(username) ? null : 'validation.username_format';
}

export function checkNewPassword(password: string, confirm: string): {
  password: FieldErrorKey | null;
  confirm: FieldErrorKey | null;
} {
  return {
    password: !password
      ? 'validation.required'
      : [...password].length < PASSWORD_MIN_LENGTH
        ? 'validation.password_short'
        : null,
    confirm: !confirm ? 'validation.required' : confirm !== password ? 'validation.password_mismatch' : null,
  };
}
