import type { Details } from "@/lib/memorials/details";
import { LIMITS } from "@/lib/memorials/drafts";

const DATE_HINT = "A year, a month or a day: 2011, 2011-05 or 2011-05-04";

/** The fields of a pet's details, shared by the "new" and the "edit" forms. */
export function DetailsFields({ details }: { details?: Details }) {
  return (
    <>
      <p className="field">
        <label htmlFor="name">Their name</label>
        <input
          id="name"
          name="name"
          required
          maxLength={LIMITS.nameLength}
          defaultValue={details?.name}
        />
      </p>
      <p className="field">
        <label htmlFor="species">Species</label>
        <input
          id="species"
          name="species"
          maxLength={LIMITS.speciesLength}
          placeholder="Dog, cat, rabbit…"
          defaultValue={details?.species}
        />
      </p>
      <div className="field-pair">
        <DateField name="born" label="Born" value={details?.born} />
        <DateField name="died" label="Passed away" value={details?.died} />
      </div>
      <p className="field">
        <label htmlFor="epitaph">A few words to remember them by</label>
        <textarea
          id="epitaph"
          name="epitaph"
          rows={3}
          maxLength={LIMITS.epitaphLength}
          defaultValue={details?.epitaph}
        />
      </p>
    </>
  );
}

function DateField({ name, label, value }: { name: string; label: string; value?: string | null }) {
  return (
    <p className="field">
      <label htmlFor={name}>{label}</label>
      <input
        id={name}
        name={name}
        inputMode="numeric"
        pattern="\d{4}(-\d{2}(-\d{2})?)?"
        title={DATE_HINT}
        aria-describedby={`${name}-hint`}
        defaultValue={value ?? ""}
      />
      <small id={`${name}-hint`}>{DATE_HINT}</small>
    </p>
  );
}
