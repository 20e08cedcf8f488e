"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { logOutOtherDevices } from "@/lib/accounts/devices";
import { logInWithPassword, signUp } from "@/lib/accounts/flows";
import { clientIp, currentDevice, currentUser } from "@/lib/accounts/request";
import { DEVICE_COOKIE_NAME, deviceCookie } from "@/lib/accounts/trusted-device";
import { db } from "@/lib/db/client";
import { formFields } from "@/lib/form-fields";
import { getSession, sessionAction } from "@/lib/sessions/next";

/** What a login or sign-up form shows after a failed attempt. */
export interface FormState {
  error: string | null;
  email: string;
}

/**
 * Reads the form, runs `flow`, and on success goes on: after a sign-up to
 * "check your inbox"; after a login to the account page with the new
 * session, giving the browser a new device cookie (trusted-device.ts).
 */
function credentialsAction(flow: typeof signUp) {
  return sessionAction(async (_previous: FormState, form: FormData): Promise<FormState> => {
    const fields = formFields(form);
    const email = typeof fields.email === "string" ? fields.email : "";
    const jar = await cookies();
    const attempt = {
      email,
      password: typeof fields.password === "string" ? fields.password : "",
      ip: await clientIp(),
      device: await currentDevice(),
      deviceCookie: jar.get(DEVICE_COOKIE_NAME)?.value ?? null,
    };
    const error = await flow(db(), await getSession(), attempt);
    if (error) return { error, email };
    // Sign-up logs nobody in: the device cookie comes with the login its email's link makes.
    if (flow === signUp) redirect("/signup/sent");
    jar.set(deviceCookie(email));
    redirect("/account");
  });
}

export const signUpAction = credentialsAction(signUp);
export const logInAction = credentialsAction(logInWithPassword);

export const logOutOtherDevicesAction = sessionAction(async () => {
  const user = await currentUser();
  if (!user) redirect("/login");
  await logOutOtherDevices(db(), await getSession(), user);
  redirect("/account?others=1");
});
