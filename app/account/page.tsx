import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { listDevices } from "@/lib/accounts/devices";
import { ownedMemorials } from "@/lib/accounts/memorials";
import { currentUser } from "@/lib/accounts/request";
import { db } from "@/lib/db/client";
import { getSession } from "@/lib/sessions/next";
import { logOutOtherDevicesAction } from "./actions";

export const metadata: Metadata = { title: "Your account" };

type Props = { searchParams: Promise<{ others?: string; confirmed?: string }> };

export default async function AccountPage({ searchParams }: Props) {
  const user = await currentUser();
  if (!user) redirect("/login");
  const session = await getSession();
  const [memorials, devices] = await Promise.all([
    ownedMemorials(db(), user.id),
    listDevices(db(), user.id, session.sessionKey),
  ]);
  const { others, confirmed } = await searchParams;

  return (
    <>
      <section className="hero">
        <p className="eyebrow">Your account</p>
        <h1>{user.email}</h1>
        {confirmed && user.emailVerified && (
          <p className="notice" role="status">
            Your email is confirmed. Welcome.
          </p>
        )}
        {!user.emailVerified && (
          <p className="hint">
            Your email is not confirmed yet: you can draft memorials now, and publish them once you
            follow the link we sent to this address.
          </p>
        )}
      </section>

      <section className="account-section" aria-labelledby="memorials-heading">
        <h2 id="memorials-heading">Your memorials</h2>
        {memorials.length === 0 ? (
          <p className="hint">
            No memorials yet. Drafts you begin will appear here once you log in.
          </p>
        ) : (
          <ul className="plain-list">
            {memorials.map((memorial) => (
              <li key={memorial.id} className="card">
                <Link href={`/account/memorials/${memorial.id}`}>{memorial.name}</Link>
                <span className={memorial.published ? "badge live" : "badge"}>
                  {memorial.published ? "Published" : "Private"}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="account-section" aria-labelledby="devices-heading">
        <h2 id="devices-heading">Your devices</h2>
        {others && (
          <p className="notice" role="status">
            All your other devices are logged out.
          </p>
        )}
        {devices.length === 0 ? (
          <p className="hint">
            This device is logged in. This server&rsquo;s session storage does not list the others,
            but you can still log them all out.
          </p>
        ) : (
          <ul className="plain-list">
            {devices.map((device) => (
              <li key={device.id}>
                <span>
                  {device.device || "Unknown device"}
                  {device.current && " (this device)"}
                </span>
                <span className="hint">last seen {device.lastSeen.toUTCString()}</span>
              </li>
            ))}
          </ul>
        )}
        <form action={logOutOtherDevicesAction}>
          <button type="submit" className="button quiet">
            Log out other devices
          </button>
        </form>
      </section>
    </>
  );
}
