/** The AppError code a call throws, or 'NO_ERROR' when it returns. */
export function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return 'NO_ERROR';
}
