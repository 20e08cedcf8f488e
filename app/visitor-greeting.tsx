import Link from "next/link";
import { getSession } from "@/lib/sessions/next";
import { visitorName } from "@/lib/memorials/drafts";

/** The header's greeting: the visitor's name once they have told us, and the way to their drafts. */
export async function VisitorGreeting() {
  const name = await visitorName.read(await getSession());
  return (
    <nav className="visitor-nav" aria-label="Your memorials">
      {name && <span className="visitor-greeting">Hello, {name}</span>}
      <Link href="/memorials">Your memorials</Link>
    </nav>
  );
}
