/** A memorial's photos as thumbnails, each linking to the full photo. */
export function MemorialPhotos({
  name,
  photos,
}: {
  name: string;
  photos: { id: string; width: number; height: number; alt: string }[];
}) {
  if (photos.length === 0) return null;
  return (
    <section className="account-section" aria-labelledby="photos-heading">
      <h2 id="photos-heading">Photos</h2>
      <ul className="photo-grid">
        {photos.map((photo) => (
          <li key={photo.id}>
            {/* Plain <img>: the photo route checks who may see each photo; an optimiser would not. */}
            <a href={`/memorial-photos/${photo.id}`}>
              <img
                src={`/memorial-photos/${photo.id}?size=thumb`}
                width={photo.width}
                height={photo.height}
                alt={photo.alt || `A photo of ${name}`}
                loading="lazy"
              />
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
