"""Exchange events (展示会、经验交流会、互访互学互评): invitations, registration, attendance, minutes, and mutual appraisal."""
