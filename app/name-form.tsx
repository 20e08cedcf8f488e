import { rememberName } from "./visitor-actions";

/** "What should we call you?": optional, one field, works without JavaScript. */
export function NameForm({ name }: { name: string | null }) {
  return (
    <form action={rememberName} className="inline-form">
      <input type="hidden" name="back" value="/" />
      <label htmlFor="visitor-name">
        {name ? "Not quite right? Change your name" : "What should we call you?"}
      </label>
      <div className="inline-form-row">
        <input
          id="visitor-name"
          name="name"
          autoComplete="given-name"
          maxLength={80}
          defaultValue={name ?? ""}
          placeholder="Your first name (optional)"
        />
        <button type="submit" className="button button-quiet">
          {name ? "Update" : "Remember me"}
        </button>
      </div>
    </form>
  );
}
