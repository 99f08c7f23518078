<?php
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_prod' );
define( 'DB_PASSWORD', 's4B6h7lMsTIOx!geid' );
define( 'DB_HOST', 'db.corp.internal' );

define( 'AUTH_KEY', '^1g1&/aKfux6fX1 ~|L3d:(d4u2dD/G+|qt#1_Nv-V|&eI,,WmQm*)&c}VFzb*jc' );
define( 'SECURE_AUTH_KEY', 'oP#[9 5w<L^0rKA53zmg7.s.rxirf~u1.9&A*]#c@kK|d2)-;Lq` {1D595WX{^?' );
define( 'LOGGED_IN_KEY', 'j^jOt =?6v 3+rzKE4RN$o(.88*,yLV&vlw*Epg;/nR:74KLO=10_yZ2ChV.IH`N' );
define( 'NONCE_KEY', 'aQ}zl%MKY^dI &LjCZ>`O4u[EHrI/x&d^N<b9}%UixrXk}OKKj+O&wTTozqv=CnA' );
define( 'AUTH_SALT', 'Kjs._mvn={w~K24pD8{^`e}{g5N`wF-D2D0w,Q&S|%/;$82%,Y/Tyr!n@dry^G4c' );
define( 'SECURE_AUTH_SALT', '/_`B%^I^Rl*N>m)>bh![@3UHdgBD];Jpp?kFF=EZc{_iC<Q#P00U87#juJUB^EoA' );
define( 'LOGGED_IN_SALT', 'X,-H:{m}GRZ}2XsTS`5Miv[p{F9k}9jz:89i,L_W_eajzV6xuR$XL{Asf%m&;hV}' );
define( 'NONCE_SALT', ':)w(l:va@byCSEs,~>]W+(A`G|U?`0g47k]Cxh.G4r*S2+A5e+7+sAuPFJi+N7UZ' );

$table_prefix = 'wp_';
