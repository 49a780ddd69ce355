export const en = {
  title: "Chart",
};

export const ar: typeof en = {
  title: "chart",
};
