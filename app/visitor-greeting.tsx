import Link from "next/link";
import { visitorNameHere } from "./memorials/session-drafts";

/** The header's greeting: the visitor's name once they have told us, and the way to their drafts. */
export async function VisitorGreeting() {
  const name = await visitorNameHere();
  return (
    <nav className="visitor-nav" aria-label="Your memorials">
      {name && <span className="visitor-greeting">Hello, {name}</span>}
      <Link href="/memorials">Your memorials</Link>
    </nav>
  );
}
