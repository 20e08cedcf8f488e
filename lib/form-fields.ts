/**
 * The text fields of a submitted form. Anything but a `FormData` (a Server
 * Action called by hand with other arguments) reads as an empty form, which
 * the parsers then refuse with their usual messages.
 */
export function formFields(form: unknown): Record<string, unknown> {
  if (!(form instanceof FormData)) return {};
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form) if (typeof value === "string") fields[name] = value;
  return fields;
}
