export const en = {
  title: "Facilities",
};

export const ar: typeof en = {
  title: "facilities",
};
