import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, call, type Schemas } from "../../api/client";
import { loadMe } from "../../auth/useSignIn";

export type Session = Schemas["SessionRead"];

export function useSessions() {
  return useQuery({
    queryKey: ["auth-sessions"],
    queryFn: () => call(api.GET("/api/v1/auth/sessions")),
  });
}

export function useRevokeSessions() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (ids: readonly string[]) => {
      for (const id of ids) {
        await call(
          api.DELETE("/api/v1/auth/sessions/{session_id}", {
            params: { path: { session_id: id } },
          }),
        );
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["auth-sessions"] }),
  });
}

export function useDisableMfa() {
  return useMutation({
    mutationFn: (body: Schemas["MfaDeactivation"]) =>
      call(api.POST("/api/v1/auth/mfa/deactivation", { body })),
    onSuccess: () => loadMe(),
  });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["PasswordChange"]) =>
      call(api.POST("/api/v1/auth/password", { body })),
    // Every other session has ended.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["auth-sessions"] }),
  });
}
