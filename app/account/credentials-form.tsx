"use client";

import { useActionState } from "react";
import type { FormState } from "./actions";

interface Props {
  action: (previous: FormState, form: FormData) => Promise<FormState>;
  submitLabel: string;
  /** "new-password" on sign-up, so password managers offer to generate one. */
  passwordAutocomplete: "current-password" | "new-password";
  passwordHint?: string;
}

/**
 * Email and password, posted to a Server Action. Works without JavaScript
 * (the page re-renders with the message); with it, the page stays put.
 */
export function CredentialsForm({
  action,
  submitLabel,
  passwordAutocomplete,
  passwordHint,
}: Props) {
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
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete={passwordAutocomplete}
          required
          aria-describedby={passwordHint ? "password-hint" : undefined}
        />
        {passwordHint && (
          <span id="password-hint" className="hint">
            {passwordHint}
          </span>
        )}
      </label>
      <p>
        <button type="submit" className="button" disabled={pending}>
          {submitLabel}
        </button>
      </p>
    </form>
  );
}
