export const en = {
  title: "Users",
};

export const ar: typeof en = {
  title: "users",
};
