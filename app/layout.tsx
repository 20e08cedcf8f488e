import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import AccountMenu from "./account-menu";
import "./globals.css";
import "./memorials.css";
import { VisitorGreeting } from "./visitor-greeting";

export const metadata: Metadata = {
  title: { default: "Evermore — remember the animals who loved you", template: "%s · Evermore" },
  description:
    "A quiet place to remember a pet: their name, their photos and the stories you want to keep.",
};

export const viewport: Viewport = {
  themeColor: "#faf6f0",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <Link href="/" className="brand">
            <Candle />
            <span>Evermore</span>
          </Link>
          <div className="header-end">
            <VisitorGreeting />
            <AccountMenu />
          </div>
        </header>
        <main id="main">{children}</main>
        <footer className="site-footer">
          <p>Made with care, for every companion who waited by the door.</p>
          <p>
            <Link href="/how-it-works">How this site remembers you</Link>
          </p>
        </footer>
      </body>
    </html>
  );
}

function Candle() {
  return (
    <svg className="brand-mark" viewBox="0 0 24 32" aria-hidden="true" focusable="false">
      <path className="flame" d="M12 2c3 4 4 6.5 4 8.5a4 4 0 0 1-8 0C8 8.5 9 6 12 2Z" />
      <rect className="wax" x="7" y="15" width="10" height="15" rx="2" />
    </svg>
  );
}
