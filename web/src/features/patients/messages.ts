export const en = {
  title: "Patients",
};

export const ar: typeof en = {
  title: "patients",
};
