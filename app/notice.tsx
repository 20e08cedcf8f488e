import { getSession } from "@/lib/sessions/next";
import { PROBLEMS, isProblem, notice } from "@/lib/memorials/notice";

export interface NoticeParams {
  notice?: string | string[];
  problem?: string | string[];
}

/**
 * The message a form post left for this page: the session's notice when the
 * address carries its id, or a fixed problem by its code. Announced to
 * screen readers as it appears.
 */
export async function Notice({ params }: { params: NoticeParams }) {
  if (isProblem(params.problem)) {
    return (
      <p className="notice notice-problem" role="alert">
        {PROBLEMS[params.problem]}
      </p>
    );
  }
  const current = await notice.read(await getSession());
  if (!current || params.notice !== current.id) return null;
  return (
    <p className="notice" role="status">
      {current.text}
    </p>
  );
}
