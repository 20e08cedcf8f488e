import type { Lifetime } from "@/lib/how-it-works/expiry-choice";
import { MAX_DAYS_AHEAD } from "@/lib/how-it-works/expiry-choice";
import { chooseExpiry } from "./actions";

const CHOICES: { value: Lifetime; label: string; code: string }[] = [
  { value: "default", label: "The site's usual", code: "setExpiry(null)" },
  { value: "browser", label: "Until I close the browser", code: "setExpiry(0)" },
  { value: "hour", label: "One hour after my last visit", code: "setExpiry(3600)" },
  { value: "date", label: "Until the end of a day I choose", code: "setExpiry(date)" },
];

/**
 * The four lifetimes as radio buttons: a plain form post, no JavaScript
 * needed. `usual` says what the site's policy is, in words.
 */
export function ExpiryForm({ current, usual }: { current: Lifetime | null; usual: string }) {
  return (
    <form action={chooseExpiry} className="card">
      <fieldset>
        <legend>How long should we remember you?</legend>
        {CHOICES.map((choice) => (
          <div className="choice" key={choice.value}>
            <input
              type="radio"
              name="lifetime"
              id={`lifetime-${choice.value}`}
              value={choice.value}
              defaultChecked={choice.value === (current ?? "default")}
            />
            <label htmlFor={`lifetime-${choice.value}`}>
              {choice.label}
              {choice.value === "default" && `: ${usual}`} <code>{choice.code}</code>
              {choice.value === "date" && (
                <input
                  type="date"
                  name="until"
                  aria-label="The last day to remember me"
                  aria-describedby="until-hint"
                />
              )}
            </label>
          </div>
        ))}
        <p id="until-hint">
          A chosen day ends at midnight UTC, and must be within {MAX_DAYS_AHEAD} days.
        </p>
      </fieldset>
      <button className="button" type="submit">
        Remember me this way
      </button>
    </form>
  );
}
