import type { expiryOffers, Lifetime } from "@/lib/how-it-works/expiry-choice";
import { chooseExpiry } from "./actions";

const CHOICES: { value: Lifetime; label: string; code: string }[] = [
  { value: "default", label: "The site's usual", code: "setExpiry(null)" },
  { value: "browser", label: "Until I close the browser", code: "setExpiry(0)" },
  { value: "hour", label: "One hour after my last visit", code: "setExpiry(3600)" },
  { value: "date", label: "Until the end of a day I choose", code: "setExpiry(date)" },
];

/**
 * The lifetimes as radio buttons: a plain form post, no JavaScript needed.
 * `usual` says what the site's policy is, in words; `offers` leaves out what
 * would outlive it (`longest`, in words): an hour longer than the site's
 * session, a day past its end.
 */
export function ExpiryForm({
  current,
  usual,
  offers,
  longest,
}: {
  current: Lifetime | null;
  usual: string;
  offers: ReturnType<typeof expiryOffers>;
  longest: string;
}) {
  const offered = CHOICES.filter(
    (choice) =>
      (choice.value !== "hour" || offers.hour) &&
      (choice.value !== "date" || offers.latestDay !== null),
  );
  return (
    <form action={chooseExpiry} className="card">
      <fieldset>
        <legend>How long should we remember you?</legend>
        {offered.map((choice) => (
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
              {choice.value === "date" && offers.latestDay !== null && (
                <input
                  type="date"
                  name="until"
                  min={offers.today}
                  max={offers.latestDay}
                  aria-label="The last day to remember me"
                  aria-describedby="until-hint"
                />
              )}
            </label>
          </div>
        ))}
        <p id="until-hint">
          {offers.latestDay === null
            ? `We remember a session for ${longest} at most, so there is no day to choose.`
            : `A chosen day ends at midnight UTC, and can be no later than ${offers.latestDay}: ` +
              `we remember a session for ${longest} at most.`}
        </p>
      </fieldset>
      <button className="button" type="submit">
        Remember me this way
      </button>
    </form>
  );
}
