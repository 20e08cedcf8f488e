import Link from "next/link";
import { currentUser } from "@/lib/accounts/request";
import "./accounts.css";

/** The header's account corner: links to log in or sign up, or who is logged in and a way out. */
export default async function AccountMenu() {
  const user = await currentUser();
  if (!user) {
    return (
      <nav className="account-menu" aria-label="Account">
        <Link href="/login">Log in</Link>
        <Link href="/signup">Sign up</Link>
      </nav>
    );
  }
  return (
    <nav className="account-menu" aria-label="Account">
      <Link href="/account" className="account-email">
        {user.email}
      </Link>
      {/* A plain post to a Route Handler: the logout response clears the browser's cache. */}
      <form action="/logout" method="post">
        <button type="submit" className="link-button">
          Log out
        </button>
      </form>
    </nav>
  );
}
