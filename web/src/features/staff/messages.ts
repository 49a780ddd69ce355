export const en = {
  title: "Staff",
};

export const ar: typeof en = {
  title: "staff",
};
