/** What a redacted value is replaced with; the option or variable name stays so an admin sees what was there. */
export const REDACTED = '***';
