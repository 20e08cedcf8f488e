"use client";

import { useSyncExternalStore } from "react";
import { maskKey } from "@/lib/how-it-works/mask";

const noSubscription = () => () => {};

/**
 * What JavaScript on this page can see of the cookies. An HttpOnly cookie
 * is invisible here by design: a script slipped into a page cannot steal it.
 */
export function BrowserCookies({ cookieName }: { cookieName: string }) {
  const cookieText = useSyncExternalStore(
    noSubscription,
    () => document.cookie,
    () => null,
  );
  if (cookieText === null) {
    return <p>This part needs JavaScript, which is switched off or still loading.</p>;
  }
  const cookies = new Map(
    cookieText
      .split(";")
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => [pair.split("=")[0]!, pair.slice(pair.indexOf("=") + 1)] as const),
  );
  const session = cookies.get(cookieName);
  return (
    <p data-testid="js-cookie-view">
      {session === undefined
        ? `JavaScript cannot see the ${cookieName} cookie: it is HttpOnly, so only your browser and our server ever handle it.`
        : `JavaScript can see the ${cookieName} cookie (${maskKey(session)}): this site sends it without HttpOnly.`}{" "}
      {cookies.size > (session === undefined ? 0 : 1) &&
        `Other cookies it can see: ${[...cookies.keys()].filter((name) => name !== cookieName).join(", ")}.`}
    </p>
  );
}
