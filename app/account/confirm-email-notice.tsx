import { MAIL_DOWN } from "@/lib/accounts/account-mail";
import { resendVerificationAction } from "./memorial-actions";

const ANSWERS: Record<string, { text: (email: string) => string; problem: boolean }> = {
  needed: {
    text: (email) =>
      `Please confirm your email address before publishing: follow the link we sent to ${email}.`,
    problem: true,
  },
  sent: { text: (email) => `A new link is on its way to ${email}.`, problem: false },
  down: { text: () => MAIL_DOWN, problem: true },
  wait: {
    text: () => "We have sent several emails to this address already. Please try again later.",
    problem: true,
  },
};

/**
 * Where an unconfirmed owner would publish: why they cannot yet, and a
 * button that sends the confirmation link again. `answer` is what the last
 * attempt to publish or resend left in the address (`?confirm=`).
 */
export function ConfirmEmailNotice({
  email,
  memorialId,
  answer,
}: {
  email: string;
  memorialId: number;
  answer: string | undefined;
}) {
  const shown = answer ? ANSWERS[answer] : undefined;
  return (
    <div className="confirm-email">
      {shown ? (
        <p
          className={shown.problem ? "notice notice-problem" : "notice"}
          role={shown.problem ? "alert" : "status"}
        >
          {shown.text(email)}
        </p>
      ) : (
        <p className="hint">
          Publishing needs a confirmed email address: we sent a link to {email} when you signed up.
        </p>
      )}
      <form action={resendVerificationAction}>
        <input type="hidden" name="id" value={memorialId} />
        <button type="submit" className="button quiet">
          Send the link again
        </button>
      </form>
    </div>
  );
}
