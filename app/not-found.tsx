import Link from "next/link";

/**
 * What an address that leads nowhere shows, instead of Next's bare 404: a
 * draft deleted in another tab, a link kept from a visit that has since
 * ended, a memorial its owner has not published. Each is a visitor who was
 * looking for something they care about, so the page says where to look.
 */
export default function NotFound() {
  return (
    <section className="hero">
      <h1>We could not find that page.</h1>
      <p className="lede">
        If it was a memorial you were writing, it may have been deleted in another window, or kept
        in a visit that has since ended. A memorial its owner has not published stays private.
      </p>
      <p className="hero-actions">
        <Link href="/memorials" className="button">
          Your memorials
        </Link>{" "}
        <Link href="/" className="button button-quiet">
          Home
        </Link>
      </p>
    </section>
  );
}
