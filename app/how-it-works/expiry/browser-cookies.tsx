"use client";

import { useSyncExternalStore } from "react";
import { maskKey } from "@/lib/how-it-works/mask";

const noSubscription = () => () => {};

/**
 * What JavaScript on this page can see of the cookies. An HttpOnly cookie
 * is invisible here by design: a script slipped into a page cannot steal it.
 * `sentOne`: the server saw the session cookie on this page's request.
 */
export function BrowserCookies({ cookieName, sentOne }: { cookieName: string; sentOne: boolean }) {
  const cookieText = useSyncExternalStore(
    noSubscription,
    () => document.cookie,
    () => null,
  );
  if (cookieText === null) {
    return <p>This part needs JavaScript, which is switched off or still loading.</p>;
  }
  const names = cookieText
    .split(";")
    .map((pair) => pair.trim())
    .filter(Boolean);
  const session = names.find((pair) => pair.startsWith(`${cookieName}=`));
  const others = names.map((pair) => pair.split("=")[0]).filter((name) => name !== cookieName);
  return (
    <p data-testid="js-cookie-view">
      {describe(cookieName, session?.slice(cookieName.length + 1), sentOne)}
      {others.length > 0 && ` Other cookies it can see: ${others.join(", ")}.`}
    </p>
  );
}

function describe(cookieName: string, value: string | undefined, sentOne: boolean): string {
  if (value !== undefined) {
    return `JavaScript can see the ${cookieName} cookie (${maskKey(value)}): this site sends it without HttpOnly.`;
  }
  if (!sentOne) return `There is no ${cookieName} cookie for JavaScript to see.`;
  return `JavaScript cannot see the ${cookieName} cookie: it is HttpOnly, so only your browser and our server ever handle it.`;
}
