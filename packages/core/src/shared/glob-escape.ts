/** Escapes Redis glob characters so a prefix matches only itself inside a SCAN `MATCH` pattern. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
