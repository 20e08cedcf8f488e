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
  /** The session's limits, passed in: the module that defines them is server-only. */
  limits: { title: number; body: number };
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
          maxLength={props.limits.body}
          defaultValue={props.initial.body}
          aria-describedby="body-hint"
        />
        <small id="body-hint">
          Plain text; leave a blank line between paragraphs. Write as much as you like.
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
