// A filled-in example for "start from a sample": every common section, realistic bullets with numbers.
export const SAMPLE_RESUME = {
  basics: {
    name: "Alex Morgan",
    label: "Product Engineer",
    email: "alex.morgan@example.com",
    phone: "+44 20 7946 0958",
    summary: "Product engineer with seven years of building web applications people rely on every day.",
    location: { city: "Manchester", countryCode: "GB" },
  },
  work: [
    {
      name: "Northwind Analytics",
      position: "Senior Product Engineer",
      startDate: "2022-04",
      highlights: [
        "Led the rebuild of the reporting screens, cutting page load from 4.2 s to 0.9 s",
        "Mentored four engineers through their first production releases",
      ],
    },
    {
      name: "Brightline Retail",
      position: "Software Engineer",
      startDate: "2018-09",
      endDate: "2022-03",
      highlights: ["Shipped a checkout redesign that raised conversion by 12%", "Automated release checks, saving 6 hours a week"],
    },
  ],
  education: [{ institution: "University of Leeds", studyType: "BSc", area: "Computer Science", startDate: "2014-09", endDate: "2018-06" }],
  skills: [
    { name: "Languages", keywords: ["TypeScript", "Python", "SQL"] },
    { name: "Tools", keywords: ["React", "PostgreSQL", "Docker"] },
  ],
  languages: [{ language: "English", fluency: "Native" }],
};
