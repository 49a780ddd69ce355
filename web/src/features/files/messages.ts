export const en = {
  status: {
    queued: "Waiting to be prepared…",
    running: "Being prepared…",
    ready: "Ready to download until {{until}}.",
    failed: "The file could not be prepared: {{error}}",
    expired: "This file was deleted when its download time was over. Ask for a new one.",
  },
  download: "Download {{name}}",
  downloadFailed: "The file could not be downloaded",
  earlier: {
    none: "None yet.",
    asked: "Asked for {{at}}",
    exports: "Earlier exports of this record",
    reports: "Earlier reports",
  },
  export: {
    action: "Export record",
    title: "Export of the patient's record",
    description:
      "One JSON file with the patient's details, encounters, diagnoses, allergies, vital signs and immunizations.",
    requestFailed: "The export could not be requested",
    close: "Close",
  },
  report: {
    title: "Morbidity report",
    description:
      "Diagnoses counted by ICD-10 code and encounters by class, for one facility and period, as CSV (for the state ministry or DHIS2).",
    facility: "Facility",
    from: "From",
    to: "To",
    request: "Prepare report",
    requestFailed: "The report could not be requested",
    period: "{{from}} to {{to}}",
  },
};

export const ar: typeof en = {
  status: {
    queued: "في انتظار التجهيز…",
    running: "جارٍ التجهيز…",
    ready: "جاهز للتنزيل حتى {{until}}.",
    failed: "تعذّر تجهيز الملف: {{error}}",
    expired: "حُذف هذا الملف بانتهاء مدة تنزيله. اطلب ملفاً جديداً.",
  },
  download: "تنزيل {{name}}",
  downloadFailed: "تعذّر تنزيل الملف",
  earlier: {
    none: "لا يوجد بعد.",
    asked: "طُلب في {{at}}",
    exports: "تصديرات سابقة لهذا السجل",
    reports: "تقارير سابقة",
  },
  export: {
    action: "تصدير السجل",
    title: "تصدير سجل المريض",
    description:
      "ملف JSON واحد يضم بيانات المريض وزياراته وتشخيصاته وحساسياته وعلاماته الحيوية وتطعيماته.",
    requestFailed: "تعذّر طلب التصدير",
    close: "إغلاق",
  },
  report: {
    title: "تقرير المراضة",
    description:
      "التشخيصات معدودة حسب رمز ICD-10 والزيارات حسب نوعها، لمنشأة واحدة وفترة محددة، بصيغة CSV (لوزارة الصحة الولائية أو DHIS2).",
    facility: "المنشأة",
    from: "من",
    to: "إلى",
    request: "تجهيز التقرير",
    requestFailed: "تعذّر طلب التقرير",
    period: "من {{from}} إلى {{to}}",
  },
};
