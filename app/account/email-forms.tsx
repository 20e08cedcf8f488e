"use client";

import { useActionState } from "react";
import type { EmailFormState, NewPasswordState } from "./email-actions";

/**
 * The forms of the email links: an address to send a link to, and a new
 * password for a reset link. Like `CredentialsForm`, they work without
 * JavaScript (the page re-renders with the message).
 */
export function EmailForm({
  action,
  submitLabel,
}: {
  action: (previous: EmailFormState, form: FormData) => Promise<EmailFormState>;
  submitLabel: string;
}) {
  const [state, formAction, pending] = useActionState(action, { error: null, email: "" });
  return (
    <form action={formAction} className="account-form" noValidate>
      {state.error && (
        <p className="form-error" role="alert">
          {state.error}
        </p>
      )}
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required defaultValue={state.email} />
      </label>
      <p>
        <button type="submit" className="button" disabled={pending}>
          {submitLabel}
        </button>
      </p>
    </form>
  );
}

export function NewPasswordForm({
  action,
  uid,
  token,
  email,
  hint,
}: {
  action: (previous: NewPasswordState, form: FormData) => Promise<NewPasswordState>;
  uid: string;
  token: string;
  /** The account's address, for password managers (a hidden username field). */
  email: string;
  hint: string;
}) {
  const [state, formAction, pending] = useActionState(action, { error: null });
  return (
    <form action={formAction} className="account-form" noValidate>
      {state.error && (
        <p className="form-error" role="alert">
          {state.error}
        </p>
      )}
      <input type="hidden" name="uid" value={uid} />
      <input type="hidden" name="token" value={token} />
      <input type="hidden" name="username" autoComplete="username" value={email} />
      <label>
        New password
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          required
          aria-describedby="password-hint"
        />
        <span id="password-hint" className="hint">
          {hint}
        </span>
      </label>
      <p>
        <button type="submit" className="button" disabled={pending}>
          Save my new password
        </button>
      </p>
    </form>
  );
}
