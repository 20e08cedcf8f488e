import type { Draft } from "@/lib/memorials/drafts";
import { LIMITS } from "@/lib/memorials/drafts";
import { PHOTO_LIMITS } from "@/lib/memorials/photo-upload";
import { removeMemorialPhoto } from "../actions";

/** A draft's photos (thumbnails linking to the full size) and the upload form. */
export function PhotoSection({ draft }: { draft: Draft }) {
  const base = `/memorials/${draft.id}/photos`;
  const roomLeft = LIMITS.photosPerDraft - draft.photos.length;
  return (
    <section aria-labelledby="photos-heading" className="panel">
      <h2 id="photos-heading">Photos</h2>
      {draft.photos.length > 0 && (
        <ul className="photo-grid">
          {draft.photos.map((photo) => (
            <li key={photo.id}>
              <a href={`${base}/${photo.id}`}>
                {/* A private route (checked per session), so not next/image's public optimizer. */}
                <img src={`${base}/${photo.id}?size=thumb`} alt={photo.alt} loading="lazy" />
              </a>
              <form action={removeMemorialPhoto.bind(null, draft.id, photo.id)}>
                <button type="submit" className="button button-quiet">
                  Remove
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      {roomLeft > 0 ? (
        <form action={base} method="post" encType="multipart/form-data" className="stacked-form">
          <p className="field">
            <label htmlFor="photos">Add photos</label>
            <input
              id="photos"
              name="photos"
              type="file"
              multiple
              accept="image/jpeg,image/png,image/webp,image/heic,.heic"
              aria-describedby="photos-hint"
            />
            <small id="photos-hint">
              JPEG, PNG or WebP, up to {PHOTO_LIMITS.bytes / 1024 / 1024} MB each; room for{" "}
              {roomLeft} more. We remove the location and camera details before keeping a photo.
            </small>
          </p>
          <button type="submit" className="button">
            Upload
          </button>
        </form>
      ) : (
        <p>
          {draft.name} has {LIMITS.photosPerDraft} photos, the most a memorial holds. Remove one to
          add another.
        </p>
      )}
    </section>
  );
}
