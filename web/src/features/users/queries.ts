import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, call, type Schemas } from "../../api/client";

export type User = Schemas["UserRead"];
export type Role = Schemas["RoleRead"];
export type UserCreate = Schemas["UserCreate"];

export interface UserFilter {
  email: string;
  page: number;
  pageSize: number;
}

export function useUsers(filter: UserFilter) {
  return useQuery({
    queryKey: ["users", filter],
    queryFn: () =>
      call(
        api.GET("/api/v1/users", {
          params: {
            query: {
              email: filter.email.trim() || null,
              limit: filter.pageSize,
              offset: filter.page * filter.pageSize,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useRoles() {
  return useQuery({
    queryKey: ["roles"],
    queryFn: () => call(api.GET("/api/v1/roles")),
    staleTime: 10 * 60_000,
  });
}

function useInvalidateUsers() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ["users"] });
}

export function useCreateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (body: UserCreate) => call(api.POST("/api/v1/users", { body })),
    onSuccess: invalidate,
  });
}

export interface UserChanges {
  email: string;
  full_name: string;
  facility_ids: string[];
  roles: string[];
}

/** Name, e-mail and facilities by PATCH, then the roles (replaced as a whole) when changed. */
export function useUpdateUser(user: User | null) {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: async (changes: UserChanges) => {
      if (user === null) throw new Error("no user");
      const path = { user_id: user.id };
      let updated = await call(
        api.PATCH("/api/v1/users/{user_id}", {
          params: { path },
          body: {
            email: changes.email,
            full_name: changes.full_name,
            facility_ids: changes.facility_ids,
          },
        }),
      );
      const sameRoles =
        changes.roles.length === user.roles.length &&
        changes.roles.every((role) => user.roles.includes(role));
      if (!sameRoles) {
        updated = await call(
          api.PUT("/api/v1/users/{user_id}/roles", {
            params: { path },
            body: { roles: changes.roles },
          }),
        );
      }
      return updated;
    },
    onSuccess: invalidate,
  });
}

export function useSetUserActive() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ user, active }: { user: User; active: boolean }) => {
      const params = { path: { user_id: user.id } };
      return call(
        active
          ? api.DELETE("/api/v1/users/{user_id}/deactivation", { params })
          : api.POST("/api/v1/users/{user_id}/deactivation", { params }),
      );
    },
    onSuccess: invalidate,
  });
}
