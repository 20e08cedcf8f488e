"use server";

import { redirect } from "next/navigation";
import { formFields } from "@/lib/form-fields";
import { parseDetails } from "@/lib/memorials/details";
import {
  createDraft,
  photoIdsOf,
  removeDraft,
  removePhoto,
  updateDetails,
  withDraft,
} from "@/lib/memorials/draft-ops";
import { deleteForgottenPhotos } from "@/lib/accounts/carry";
import { db } from "@/lib/db/client";
import { afterCommit } from "@/lib/sessions/next";
import {
  changeDraft,
  changeDrafts,
  redirectWithNotice,
  requireDraft,
  visitorDrafts,
  visitorAction,
} from "./session-drafts";

/** Starts a memorial from the "new" form, then opens it for photos and stories. */
export const createMemorial = visitorAction(
  async (form: FormData) => {
    const details = parseDetails(formFields(form));
    if (!details.ok) return redirectWithNotice("/memorials/new", details.message);
    const list = await visitorDrafts();
    const created = createDraft(list, details.value);
    if (!created.ok) return redirectWithNotice("/memorials", created.message);
    const { draft } = created.value;
    await changeDrafts((current) => withDraft(current, draft));
    redirect(`/memorials/${draft.id}`);
  },
  () => "/memorials/new",
);

export const updateMemorial = visitorAction(
  async (id: string, form: FormData) => {
    await requireDraft(id);
    const details = parseDetails(formFields(form));
    if (!details.ok) return redirectWithNotice(`/memorials/${id}`, details.message);
    await changeDraft(id, (draft) => updateDetails(draft, details.value));
    await redirectWithNotice(`/memorials/${id}`, "Saved.");
  },
  (id) => `/memorials/${id}`,
);

/**
 * Deletes a draft and its photos' files: nothing of it is kept. A photo a
 * memorial holds keeps its files: with a cookie engine, a cookie from before
 * a login still names the photos that login carried into the account. The
 * files go only once the session no longer naming them is saved: a save that
 * fails leaves the draft as it was, photos included.
 */
export const deleteMemorial = visitorAction(
  async (id: string) => {
    const { draft } = await requireDraft(id);
    await changeDrafts((list) => removeDraft(list, id));
    afterCommit(() => deleteForgottenPhotos(db(), photoIdsOf([draft])));
    await redirectWithNotice("/memorials", `The memorial for ${draft.name} was deleted.`);
  },
  (id) => `/memorials/${id}`,
);

export const removeMemorialPhoto = visitorAction(
  async (id: string, photoId: string) => {
    const { draft } = await requireDraft(id);
    if (!draft.photos.some((photo) => photo.id === photoId)) redirect(`/memorials/${id}`);
    await changeDraft(id, (current) => removePhoto(current, photoId));
    // As for a whole draft: the file goes once the session without it is saved.
    afterCommit(() => deleteForgottenPhotos(db(), [photoId]));
    await redirectWithNotice(`/memorials/${id}`, "The photo was removed.");
  },
  (id) => `/memorials/${id}`,
);
