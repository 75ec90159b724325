"""Leader training (轮训): sessions, attendance by QR check-in, the test after, certificates and coverage per body."""
