import { api, call, type Schemas } from "../api/client";
import { useSession } from "./store";

export type LoginAnswer = Schemas["LoginResponse"];

/** Log in; a 401 with slug `mfa-required` asks for the second factor (see LoginPage). */
export async function logIn(email: string, password: string, otp?: string): Promise<LoginAnswer> {
  const answer = await call(
    api.POST("/api/v1/auth/login", { body: { email, password, otp: otp || null } }),
  );
  useSession.getState().setTokens(answer);
  return answer;
}

export async function loadMe(): Promise<void> {
  const me = await call(api.GET("/api/v1/auth/me"));
  useSession.getState().setMe(me);
}

export async function logOut(): Promise<void> {
  try {
    await api.POST("/api/v1/auth/logout");
  } finally {
    useSession.getState().clear();
  }
}
