"use client";

import { useEffect, useRef, useState } from "react";
import type { AutosaveStatus, SaveResult } from "@/lib/memorials/autosave-queue";
import { AutosaveQueue } from "@/lib/memorials/autosave-queue";

type StoryText = { title: string; body: string };

const LABELS: Record<AutosaveStatus, string> = {
  saved: "Saved",
  pending: "Saving…",
  saving: "Saving…",
  offline: "Offline — will retry",
  refused: "Not saved",
};

/**
 * The story editor. With JavaScript it saves as the visitor types (see
 * AutosaveQueue) and warns before leaving with unsaved words; without it,
 * the same form posts to `submit`.
 */
export function StoryEditor(props: {
  initial: StoryText;
  submit: (form: FormData) => Promise<void>;
  autosave: (text: StoryText) => Promise<SaveResult>;
  /**
   * The session's limits, passed in: the module that defines them is
   * server-only. The body's is in bytes as stored, so it is also the most
   * characters `maxLength` can allow (plain English letters take one each);
   * the server measures the rest and says so.
   */
  limits: { title: number; bodyBytes: number };
}) {
  const [status, setStatus] = useState<{ status: AutosaveStatus; message?: string } | null>(null);
  const queue = useRef<AutosaveQueue<StoryText> | null>(null);
  queue.current ??= new AutosaveQueue({
    save: props.autosave,
    saved: props.initial,
    onStatus: (next, message) => setStatus({ status: next, message }),
  });

  useEffect(() => {
    const current = queue.current!;
    const warn = (event: BeforeUnloadEvent) => {
      if (current.dirty) event.preventDefault();
    };
    const retry = () => void current.flush();
    window.addEventListener("beforeunload", warn);
    window.addEventListener("online", retry);
    return () => {
      window.removeEventListener("beforeunload", warn);
      window.removeEventListener("online", retry);
      current.dispose();
    };
  }, []);

  const onInput = (event: React.FormEvent<HTMLFormElement>) => {
    const form = new FormData(event.currentTarget);
    queue.current!.change({ title: String(form.get("title")), body: String(form.get("body")) });
  };

  return (
    <form action={props.submit} onInput={onInput} className="stacked-form story-editor">
      <p className="field">
        <label htmlFor="title">Title (optional)</label>
        <input
          id="title"
          name="title"
          maxLength={props.limits.title}
          defaultValue={props.initial.title}
        />
      </p>
      <p className="field">
        <label htmlFor="body">The story</label>
        <textarea
          id="body"
          name="body"
          rows={14}
          maxLength={props.limits.bodyBytes}
          defaultValue={props.initial.body}
          aria-describedby="body-hint"
        />
        <small id="body-hint">
          Plain text; leave a blank line between paragraphs. Up to{" "}
          {props.limits.bodyBytes.toLocaleString("en")} plain English letters, or{" "}
          {(props.limits.bodyBytes / 6).toLocaleString("en")} in Japanese, Arabic or with accents.
        </small>
      </p>
      <div className="editor-actions">
        <button type="submit" className="button">
          Save story
        </button>
        <p className="save-status" role="status" aria-live="polite" data-status={status?.status}>
          {status && LABELS[status.status]}
        </p>
      </div>
      {status?.status === "refused" && (
        <p className="notice notice-problem" role="alert">
          {status.message}
        </p>
      )}
    </form>
  );
}
