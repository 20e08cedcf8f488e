import Link from "next/link";
import type { ReactNode } from "react";
import "./how-it-works.css";

/** The "How this site remembers you" pages share a way back to the start. */
export default function HowItWorksLayout({ children }: { children: ReactNode }) {
  return (
    <div className="how-it-works">
      <nav aria-label="How this site remembers you" className="hiw-crumbs">
        <Link href="/how-it-works">How this site remembers you</Link>
      </nav>
      {children}
    </div>
  );
}
