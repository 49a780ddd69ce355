export const en = {
  title: "Account",
};

export const ar: typeof en = {
  title: "account",
};
